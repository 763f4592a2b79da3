-- spojscore install script, built by the Makefile from src/sql/*.sql (see SQL_MODULES).
\echo Use "CREATE EXTENSION spojscore" to load this file. \quit

