// The tests' PostgreSQL: the benchmark's throwaway cluster (bench/postgres-cluster.mjs), one module
// for both, so tests and benchmark measure the same server set up the same way.
export { createDatabase, startPostgres, type PostgresServer } from '../bench/postgres-cluster.mjs';
