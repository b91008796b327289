from oslo_config import cfg

group = cfg.OptGroup("database", help="The SQL database.")

opts = [
    cfg.StrOpt("connection", secret=True,
               help="SQLAlchemy URL, e.g. mysql+pymysql://user:pw@host/nova or "
                    "postgresql+psycopg://user:pw@host/nova. "
                    "Default: SQLite in <state_path>/novalite.sqlite."),
    cfg.IntOpt("max_pool_size", default=10, help="Connections kept in the pool."),
    cfg.IntOpt("max_overflow", default=20, help="Connections allowed beyond the pool."),
    cfg.BoolOpt("debug_sql", default=False, help="Log every SQL statement."),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts():
    return [(group.name, opts)]
