// The seam's observer and the pool provider's mode are process-wide: two engine runs, or an engine run and a stress
// test, must never overlap in one process.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
