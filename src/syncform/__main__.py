from syncform.cli import main

raise SystemExit(main())
