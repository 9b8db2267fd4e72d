import httpx
from rich import print

print(f"[bold]demo-app[/bold] uses httpx {httpx.__version__}")
