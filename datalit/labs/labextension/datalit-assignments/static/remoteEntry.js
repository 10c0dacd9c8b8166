/*
 * The 과제 (assignments) entry of JupyterLab, written by hand so that no node build is needed.
 *
 * JupyterLab loads a prebuilt ("federated") extension as a module-federation container: a script that
 * defines window._JUPYTERLAB[<name>] with init(shareScope) and get(module) (JupyterLab's bootstrap.js and
 * index.out.js). This container shares nothing of its own; from JupyterLab's share scope it takes the
 * same module instances the application uses (@lumino/widgets, @jupyterlab/launcher, @jupyterlab/apputils,
 * @jupyterlab/ui-components), because plugin tokens are matched by identity.
 *
 * The plugin adds the command "datalit:assignments" (menu 과제, schemas/…/plugin.json; a launcher card;
 * the command palette). It opens the server's own Korean page (datalit/labs/panel.py, at
 * <base url>datalit/assignments) in a main-area tab. That page asks this window, by postMessage, to open
 * a notebook of a fetched lab in JupyterLab; only messages from that frame, on this origin, are obeyed.
 */
(function () {
  'use strict';
  var NAME = 'datalit-assignments';
  var COMMAND = 'datalit:assignments';
  var PAGE = 'datalit/assignments';
  var ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><path class="jp-icon3"' +
    ' fill="#616161" d="M6 2h9l5 5v15H6zM14 3v5h5M9 12h8v1.5H9zm0 3h8v1.5H9zm0 3h5v1.5H9z"/></svg>';
  var scope = null;

  function pickVersion(versions) {
    var keys = Object.keys(versions || {});
    var core = keys.filter(function (k) { return versions[k].from === '@jupyterlab/application-top'; });
    var list = core.length ? core : keys;
    if (!list.length) { return null; }
    list.sort(function (a, b) { return a.localeCompare(b, undefined, { numeric: true }); });
    return versions[list[list.length - 1]];
  }

  function shared(name) {
    var entry = scope ? pickVersion(scope[name]) : null;
    if (!entry) { return Promise.resolve(null); }
    return Promise.resolve(entry.get()).then(function (factory) { return factory(); })
      .catch(function () { return null; });
  }

  function baseUrl() {
    var el = document.getElementById('jupyter-config-data');
    var url = '/';
    try { url = JSON.parse(el.textContent || '{}').baseUrl || '/'; } catch (e) { /* keep / */ }
    return url.endsWith('/') ? url : url + '/';
  }

  function makePlugin(mods) {
    var launcher = mods.launcher;
    var apputils = mods.apputils;
    var optional = [];
    var kinds = [];  // what each optional service passed to activate is
    if (launcher && launcher.ILauncher) { optional.push(launcher.ILauncher); kinds.push('launcher'); }
    if (apputils && apputils.ICommandPalette) { optional.push(apputils.ICommandPalette); kinds.push('palette'); }
    var icon = null;
    if (mods.ui && mods.ui.LabIcon) {
      try { icon = new mods.ui.LabIcon({ name: 'datalit:assignments', svgstr: ICON_SVG }); } catch (e) { icon = null; }
    }

    function activate(app) {
      var extras = Array.prototype.slice.call(arguments, 1);
      var widget = null;
      var frame = null;

      window.addEventListener('message', function (event) {
        var data = event.data || {};
        if (!frame || event.source !== frame.contentWindow || event.origin !== window.location.origin) { return; }
        if (data.type === 'datalit:open' && typeof data.path === 'string' && data.path.indexOf('..') === -1) {
          app.commands.execute('docmanager:open', { path: data.path });
        }
      });

      app.commands.addCommand(COMMAND, {
        label: '과제 (받기·제출·마감)',
        caption: '실습 받기와 제출, 마감 시각(한국 시간), 팀의 제출 기록',
        icon: icon || undefined,
        execute: function () {
          if (widget && !widget.isDisposed) {
            frame.src = baseUrl() + PAGE;
            app.shell.activateById(widget.id);
            return widget;
          }
          widget = new mods.widgets.Widget();
          widget.id = 'datalit-assignments';
          widget.title.label = '과제';
          widget.title.caption = '과제: 받기·제출·마감';
          widget.title.closable = true;
          if (icon) { widget.title.icon = icon; }
          widget.addClass('datalit-Assignments');
          widget.node.style.overflow = 'hidden';
          frame = document.createElement('iframe');
          frame.className = 'datalit-Assignments-frame';
          frame.title = '과제';
          frame.style.border = '0';
          frame.style.width = '100%';
          frame.style.height = '100%';
          frame.src = baseUrl() + PAGE;
          widget.node.appendChild(frame);
          app.shell.add(widget, 'main');
          app.shell.activateById(widget.id);
          return widget;
        }
      });
      var launcherService = extras[kinds.indexOf('launcher')];
      var palette = extras[kinds.indexOf('palette')];
      if (launcherService) { launcherService.add({ command: COMMAND, category: '과제', rank: 0 }); }
      if (palette) { palette.addItem({ command: COMMAND, category: '과제' }); }
    }

    return { id: NAME + ':plugin', description: '과제 패널', autoStart: true, optional: optional, activate: activate };
  }

  function extension() {
    return Promise.all([shared('@lumino/widgets'), shared('@jupyterlab/launcher'), shared('@jupyterlab/apputils'),
                        shared('@jupyterlab/ui-components')])
      .then(function (m) {
        if (!m[0] || !m[0].Widget) { throw new Error(NAME + ': @lumino/widgets is not shared by this JupyterLab'); }
        var plugin = makePlugin({ widgets: m[0], launcher: m[1], apputils: m[2], ui: m[3] });
        return function () { return { __esModule: true, default: [plugin] }; };
      });
  }

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = {
    init: function (shareScope) { scope = shareScope; return Promise.resolve(); },
    get: function (module) {
      if (module === './extension' || module === './index') { return extension(); }
      return Promise.reject(new Error('Module "' + module + '" does not exist in container ' + NAME));
    }
  };
})();
