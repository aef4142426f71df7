# Sourced by make: export LINEMAP_TEST_DATABASE_URL when a PostgreSQL server answers on
# 127.0.0.1:5432, starting an installed but stopped local cluster first. Silent otherwise.
if [ -z "${LINEMAP_TEST_DATABASE_URL:-}" ]; then
  _pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
  if command -v pg_isready >/dev/null 2>&1 && ! _pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
    for _v in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$_v" main start >/dev/null 2>&1 || true
    done
    for _i in 1 2 3 4 5 6 7 8 9 10; do _pg_up && break; sleep 1; done
  fi
  if command -v pg_isready >/dev/null 2>&1 && _pg_up; then
    export LINEMAP_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    echo "PostgreSQL answers: database tests run on SQLite and PostgreSQL"
  else
    echo "No PostgreSQL on 127.0.0.1:5432: database tests run on SQLite only"
  fi
fi
