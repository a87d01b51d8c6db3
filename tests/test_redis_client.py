"""The cache's Redis client is built once per connection pool and reused, each on its own pool."""

from __future__ import annotations

from config.outage import ReusingRedisCacheClient

# A primary and two replicas: writes go to the first, reads to a replica chosen at random each time.
SERVERS = ["redis://127.0.0.1:6379/15", "redis://127.0.0.1:6379/14", "redis://127.0.0.1:6379/13"]


def test_each_connection_pool_has_one_client_and_reads_use_both_replicas():
    # Fresh clients, each choosing its replicas anew: a client kept under the wrong pool shows
    # up as a pool that no read ever reaches.
    for _attempt in range(20):
        client = ReusingRedisCacheClient(SERVERS)
        writers = {client.get_client(write=True) for _ in range(5)}
        readers = [client.get_client() for _ in range(60)]

        assert len(writers) == 1
        (writer,) = writers
        by_pool: dict[int, set[int]] = {}
        for reader in readers:
            by_pool.setdefault(id(reader.connection_pool), set()).add(id(reader))
        assert len(by_pool) == 2  # both replicas are read from
        assert id(writer.connection_pool) not in by_pool  # and never the primary
        assert all(len(clients) == 1 for clients in by_pool.values())  # one client per pool
