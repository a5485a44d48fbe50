namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>A replayed schedule no longer matches the run: the scenario or the library behaves differently now.</summary>
internal sealed class ReplayDivergedException(string message) : Exception(message);
