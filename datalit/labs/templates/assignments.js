(function () {
  // Inside JupyterLab's 과제 tab: a notebook link opens the notebook in JupyterLab (the tab's owner window,
  // datalit/labs/labextension), not inside this frame. Outside JupyterLab the link opens Lab itself.
  if (window.parent === window) { return; }
  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-path]');
    if (!link) { return; }
    event.preventDefault();
    window.parent.postMessage({ type: 'datalit:open', path: link.getAttribute('data-path') }, window.location.origin);
  });
})();
