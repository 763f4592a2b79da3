"""Read-only models over the tables of the spojscore extension.

The extension owns and writes these tables (spoj_refresh() and friends); Django never
creates, migrates or writes them: managed = False, and the site connects as a reader.
"""
from django.db import models


class Problem(models.Model):
    code = models.TextField(primary_key=True)
    spoj_id = models.IntegerField()
    name = models.TextField()
    users = models.IntegerField()
    acc_rate = models.FloatField()
    quality = models.IntegerField(null=True)
    score = models.FloatField()          # spoj_score(users) = 80 / (40 + users)
    next_score = models.FloatField()     # spoj_score(users + 1): points for solving it now
    first_seen = models.DateTimeField()
    changed_at = models.DateTimeField()
    missing_since = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "spoj_problems"

    def __str__(self):
        return self.code

    @property
    def spoj_url(self):
        return "https://www.spoj.com/problems/%s/" % self.code


class ProblemHistory(models.Model):
    # The table's key is (code, seen_at) and Django 3.2 has no composite keys. seen_at is
    # declared the primary key because it is unique within one problem's history, which is
    # the only way the site reads this table (problem.history...). Do not use .pk across
    # problems: one refresh stamps all the rows it writes with the same seen_at.
    problem = models.ForeignKey(Problem, models.DO_NOTHING, db_column="code", related_name="history")
    seen_at = models.DateTimeField(primary_key=True)
    users = models.IntegerField()

    class Meta:
        managed = False
        db_table = "spoj_problem_history"
        ordering = ["seen_at"]
