namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>What one iteration did: its failure (null if it passed), its size, and its schedule string.</summary>
internal sealed record IterationResult(Failure? Failure, int Steps, int Decisions, int Threads, string Schedule);
