namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>
/// Thrown at every scheduling point of an iteration that has already failed, so each logical thread unwinds without
/// taking another step on shared state. Scenario code must not catch it (catch the specific exceptions you expect).
/// </summary>
internal sealed class EngineAbortedException() : Exception("The iteration already failed; this logical thread is being unwound.");
