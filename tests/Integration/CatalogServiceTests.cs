using SharedTask.Samples.CatalogService;
using SharedTask.Samples.CatalogService.Catalog;

namespace SharedTask.Tests.Integration;

/// <summary>
/// GET /products/{id} over real HTTP (Kestrel on a loopback port, an HttpClient per server) for every back end. Loads
/// wait on gates the test opens, and the test waits on what the server reports (requests joined, waits ended, a load's
/// token canceled), never on time: a safety timeout only turns a hang into a failure.
/// </summary>
public sealed class CatalogServiceTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<CatalogBackend> AllBackends => [.. Enum.GetValues<CatalogBackend>()];

    public static TheoryData<CatalogBackend> BackendsThatCancelAbandonedLoads =>
        [CatalogBackend.SingleFlight, CatalogBackend.SingleFlightThenYield, CatalogBackend.HybridCache];

    [Theory]
    [MemberData(nameof(AllBackends))]
    public async Task Concurrent_requests_get_their_own_product_from_one_load_per_id(CatalogBackend backend)
    {
        const int RequestsPerId = 20;
        int[] ids = [1, 2, 3];
        await using CatalogServer server = await CatalogServer.StartAsync(backend);

        int[] requestedIds = [.. ids.SelectMany(static id => Enumerable.Repeat(id, RequestsPerId))];
        Task<Product?>[] requests = [.. requestedIds.Select(id => server.GetProductAsync(id))];
        await Within(server.Lookup.Joined.WhenReached(requestedIds.Length), $"all {requestedIds.Length} requests to reach the back end");
        foreach (int id in ids)
        {
            await Within(server.Store.For(id).Started, $"product {id}'s load to start");
        }

        Assert.True(
            server.Store.LoadsStarted == ids.Length,
            $"{requestedIds.Length} overlapping requests for {ids.Length} ids started {server.Store.LoadsStarted} loads: {backend} did not coalesce them.");

        foreach (int id in ids)
        {
            server.Store.For(id).Open();
        }

        Product?[] bodies = await Within(Task.WhenAll(requests), "every response");
        for (int i = 0; i < requestedIds.Length; i++)
        {
            Assert.Equal(Product.For(requestedIds[i]), bodies[i]);
        }

        Assert.Equal(ids.Length, server.Store.LoadsStarted);
    }

    [Theory]
    [MemberData(nameof(AllBackends))]
    public async Task A_client_that_disconnects_does_not_cancel_the_load_for_the_others(CatalogBackend backend)
    {
        const int Id = 7;
        await using CatalogServer server = await CatalogServer.StartAsync(backend);
        LoadGate gate = server.Store.For(Id);

        using var leaving = new CancellationTokenSource();
        Task<Product?>[] callers = await SendOverlappingAsync(server, Id, [leaving.Token, CancellationToken.None, CancellationToken.None]);
        Task<Product?> leaver = callers[0];
        Task<Product?>[] stayers = callers[1..];

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaver);
        await Within(server.Lookup.Left.WhenReached(1), "the server to see the client disconnect (its RequestAborted)");

        Assert.False(
            gate.LoadToken.IsCancellationRequested,
            $"{backend} canceled the load when one of its three callers disconnected: the other two lose their load.");
        gate.Open();
        Product?[] bodies = await Within(Task.WhenAll(stayers), "the two remaining responses");
        Assert.All(bodies, static body => Assert.Equal(Product.For(Id), body));
        Assert.Equal(1, server.Store.LoadsStarted);
        Assert.False(gate.Canceled.IsCompleted, $"{backend} canceled the load although two callers still waited for it.");
    }

    [Theory]
    [MemberData(nameof(BackendsThatCancelAbandonedLoads))]
    public async Task The_load_is_canceled_when_every_caller_disconnects(CatalogBackend backend)
    {
        const int Id = 9;
        await using CatalogServer server = await CatalogServer.StartAsync(backend);
        LoadGate gate = server.Store.For(Id);

        using var disconnect = new CancellationTokenSource();
        Task<Product?>[] callers = await SendOverlappingAsync(server, Id, [disconnect.Token, disconnect.Token, disconnect.Token]);

        await disconnect.CancelAsync();
        foreach (Task<Product?> caller in callers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller);
        }

        await Within(server.Lookup.Left.WhenReached(3), "the server to see all three clients disconnect");
        await Within(gate.Canceled, $"{backend} to cancel the load's token once every caller had disconnected");
        Assert.Equal(1, server.Store.LoadsStarted);
    }

    [Fact]
    public async Task The_idiom_gives_its_load_no_token_so_a_load_every_caller_abandoned_runs_on()
    {
        const int Id = 11;
        await using CatalogServer server = await CatalogServer.StartAsync(CatalogBackend.Idiom);
        LoadGate gate = server.Store.For(Id);

        using var disconnect = new CancellationTokenSource();
        Task<Product?>[] callers = await SendOverlappingAsync(server, Id, [disconnect.Token, disconnect.Token, disconnect.Token]);
        await disconnect.CancelAsync();
        await Within(server.Lookup.Left.WhenReached(3), "the server to see all three clients disconnect");

        Assert.False(gate.LoadToken.CanBeCanceled, "The idiom's load got a token that can be canceled: the table's claim is out of date.");
        foreach (Task<Product?> caller in callers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller);
        }

        // The abandoned load is still waiting; let it finish so the server stops cleanly.
        gate.Open();
    }

    [Fact]
    public void An_unknown_backend_is_rejected_when_the_service_is_built()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(
            () => CatalogApp.Create(["--urls", "http://127.0.0.1:0", "--Catalog:Backend=Memcached"]));
        Assert.Contains("Backend", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_product_id_is_not_found()
    {
        await using CatalogServer server = await CatalogServer.StartAsync(CatalogBackend.SingleFlight);
        using HttpResponseMessage response = await server.Client.GetAsync(new Uri("/products/-1", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, server.Store.LoadsStarted);
    }

    /// <summary>
    /// Sends one request for <paramref name="id"/> per token and returns once every request has reached the back end
    /// and the load has started (the load's gate stays closed, so every request waits for that one load).
    /// </summary>
    private static async Task<Task<Product?>[]> SendOverlappingAsync(CatalogServer server, int id, CancellationToken[] clientTokens)
    {
        Task<Product?>[] requests = [.. clientTokens.Select(token => server.GetProductAsync(id, token))];
        await Within(server.Lookup.Joined.WhenReached(requests.Length), $"the {requests.Length} requests to reach the back end");
        await Within(server.Store.For(id).Started, $"product {id}'s load to start");
        return requests;
    }

    private static async Task Within(Task task, string what)
    {
        try
        {
            await task.WaitAsync(SafetyTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Gave up after {SafetyTimeout.TotalSeconds} s waiting for {what}.");
        }
    }

    private static async Task<T> Within<T>(Task<T> task, string what)
    {
        await Within((Task)task, what);
        return await task;
    }
}
