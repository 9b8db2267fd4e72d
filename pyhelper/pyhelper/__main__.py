import sys

from pyhelper.cli import main

sys.exit(main())
