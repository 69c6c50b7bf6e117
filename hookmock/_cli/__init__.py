"""The commands behind ``hookmock``: one module per command family; ``hookmock.cli`` parses."""
