VERSION = "0.4.3"
__version__ = VERSION
APP_NAME = "autogenstudio"
