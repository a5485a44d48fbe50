using SharedTask.Analyzers.Tests.Support;
using Verify = SharedTask.Analyzers.Tests.Support.AnalyzerVerifier<SharedTask.Analyzers.HandleFlowAnalyzer>;

namespace SharedTask.Analyzers.Tests;

public class ScratchTests
{
    [Fact]
    public async Task Scratch()
    {
        await Verify.VerifyAsync("""
            using SharedTask;
            using System.Threading.Tasks;

            class C
            {
                static async Task M(SimpleTask<int> t)
                {
                    await t;
                    await {|SHTASK001:t|};
                }

                static (SimpleTask<int>, SimpleTask<int>) Both(SimpleTask<int> handle) => (handle, {|SHTASK001:handle|});
            }
            """);
    }
}
