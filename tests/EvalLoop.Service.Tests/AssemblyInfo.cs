// Quartz keeps schedulers in a process-wide repository by name, and every host uses the default name (the name keys its
// rows in the workspace database, so it must stay the same across restarts): hosts in this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
