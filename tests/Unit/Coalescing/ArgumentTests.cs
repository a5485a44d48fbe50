namespace SharedTask.Tests.Unit.Coalescing;

/// <summary>Bad input fails at the call with an exception that names the argument.</summary>
public class ArgumentTests
{
    private static readonly Func<string, CancellationToken, SimpleTask<int>> s_load = static (_, _) => new SimpleTask<int>(1);

    [Fact]
    public void Null_key_throws_ArgumentNullException_naming_key()
    {
        var flight = new SingleFlight<string, int>();

        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => flight.RunAsync(null!, s_load)).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(
            () => flight.RunAsync(null!, 0, static (_, _, _) => new SimpleTask<int>(1))).ParamName);
        Assert.Equal("key", Assert.Throws<ArgumentNullException>(() => flight.Forget(null!)).ParamName);
    }

    [Fact]
    public void Null_load_throws_ArgumentNullException_naming_load()
    {
        var flight = new SingleFlight<string, int>();

        Assert.Equal("load", Assert.Throws<ArgumentNullException>(
            () => flight.RunAsync("k", (Func<string, CancellationToken, SimpleTask<int>>)null!)).ParamName);
        Assert.Equal("load", Assert.Throws<ArgumentNullException>(
            () => flight.RunAsync("k", 0, (Func<string, int, CancellationToken, SimpleTask<int>>)null!)).ParamName);
    }

    [Fact]
    public void Null_comparer_means_the_default_comparer()
    {
        var flight = new SingleFlight<string, int>(comparer: null);

        Assert.Same(EqualityComparer<string>.Default, flight.Comparer);
    }

    [Fact]
    public void Value_type_keys_work_without_a_null_check_tripping()
    {
        var flight = new SingleFlight<int, int>();

        Assert.Equal(0, flight.RunAsync(0, static (key, _) => new SimpleTask<int>(key)).GetAwaiter().GetResult());
    }
}
