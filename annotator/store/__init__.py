"""The project database: StoreAPI (api.py) implemented by Store (store.py) on SQLAlchemy."""
