from datalit.cli import main

main()
