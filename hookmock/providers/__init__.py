"""Built-in providers: one subpackage each (catalog, factories, envelope, signer, headers)."""
