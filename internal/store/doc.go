// Package store keeps unknot's data in SQLite (the default, a file next to
// the binary) or PostgreSQL (when a postgres:// DSN is given), through
// database/sql and one set of hand-written SQL statements that both accept:
// $1 placeholders, RETURNING and ON CONFLICT. Nothing above this package
// knows which database it talks to.
//
// # Shape
//
// A [DB] holds two pools. On SQLite, reads go to a pool of several
// connections opened with query_only, and writes go to a pool of exactly one
// connection. SQLite allows one writer at a time anyway; queueing writers in
// Go, on the pool, is cheaper and fairer than letting them collide in SQLite
// and wait out busy_timeout, and WAL mode lets the readers carry on while
// the writer works. On PostgreSQL both are the same pool.
//
// Every write runs in a transaction through db.write. On SQLite the writer
// connection begins its transactions with BEGIN IMMEDIATE (the DSN's
// _txlock=immediate): a transaction that starts as a reader and later
// writes cannot always wait for the lock (SQLite returns SQLITE_BUSY at
// once, because waiting could deadlock), while one that takes the write
// lock up front simply waits its turn under busy_timeout. That matters
// whenever a second process (unknot backup, unknot migrate, a second
// server) opens the same file: measured here, 8 writers doing
// read-then-write transactions failed 371 of 800 times without it and never
// with it. The DSN also sets _time_format=sqlite so that times are stored in
// a form SQLite's own date functions read.
//
// # Bookings
//
// No two bookings of a therapist that hold their time may overlap, buffers
// included, however requests interleave: the database is the guard, not
// the code that offered the slot. On PostgreSQL an exclusion constraint
// (btree_gist) over the therapist and the blocked time range refuses the
// second row (SQLSTATE 23P01, reported as ErrConflict); on SQLite the
// overlap check and the write run in one transaction on the single writer,
// so nothing can come between them.
//
// # Migrations
//
// Migrations are plain SQL files embedded in the binary, one directory per
// dialect (migrations/sqlite, migrations/postgres) because the DDL differs,
// and run by goose at every [Open]. On PostgreSQL an advisory lock keyed by
// database and schema keeps two processes from migrating at once.
package store
