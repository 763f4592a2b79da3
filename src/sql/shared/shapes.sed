# Shapes several modules share, written once: the Makefile runs every module through this.
s/@SPOJ_SUMMARY@/run_id bigint, pages integer, rows_seen integer, inserted integer, updated integer,\n               unchanged integer, marked_missing integer, duration interval/g
s/@SPOJ_JOB_REFRESH@/spojscore-refresh/g
s/@SPOJ_JOB_CLEANUP@/spojscore-cleanup/g
