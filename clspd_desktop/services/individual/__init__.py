"""Individual follow-up services (issue 17): the locked/unlocked session, snapshots, the DPO's export."""
