from ecom_analytics.cli import main

raise SystemExit(main())
