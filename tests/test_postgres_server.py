"""The PostgreSQL server the store and engine tests use is real and answers."""

import sqlalchemy as sa
def test_the_test_postgresql_server_answers_queries(postgres_url):
    e = sa.create_engine(postgres_url)
    with e.connect() as c:
        assert c.execute(sa.text("select 41 + 1")).scalar() == 42
