-- spojscore 0.1.0 -> 0.2.0, built by the Makefile: this head, then every code module of
-- src/sql re-created in place (the Makefile adds OR REPLACE, which keeps owners and the GRANTs a DBA
-- made), then the tail. The upgrade tests prove the result equals a fresh 0.2.0 install.
\echo Use "ALTER EXTENSION spojscore UPDATE TO '0.2.0'" to load this file. \quit
