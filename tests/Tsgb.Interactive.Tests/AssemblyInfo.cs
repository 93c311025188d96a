// Kernel processes are heavy (Roslyn, libtorch) and the start-up is timed: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
