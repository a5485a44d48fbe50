namespace SharedTask;

/// <summary>The result type behind the non-generic <see cref="SimpleTask"/>: one frame implementation serves both.</summary>
internal readonly struct VoidResult;
