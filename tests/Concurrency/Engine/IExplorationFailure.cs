namespace SharedTask.Tests.Concurrency.Engine;

/// <summary>What a report needs of either engine's failure: the strategy that found it (its full text is ToString).</summary>
internal interface IExplorationFailure
{
    string Strategy { get; }
}
