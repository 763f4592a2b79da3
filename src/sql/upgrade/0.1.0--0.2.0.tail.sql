
-- New in 0.2.0: privileges of the objects created above (those of 0.1.0's objects, and
-- any GRANT a DBA added to them, are left as they are).
