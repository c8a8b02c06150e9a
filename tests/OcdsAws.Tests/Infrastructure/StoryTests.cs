using System;
using System.Threading.Tasks;
using Xunit;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>A failing story test names the step that failed (issue #14 item 10).</summary>
    public sealed class StoryTests
    {
        [Fact]
        public void A_failure_names_its_step()
        {
            var e = Assert.Throws<Story.StepFailedException>(() => Story.Run(step =>
            {
                step("setup");
                step("re-run changes nothing");
                throw new InvalidOperationException("2 calls");
            }));
            Assert.Equal("Step \"re-run changes nothing\" failed: 2 calls", e.Message);
        }

        [Fact]
        public async Task An_awaiting_story_names_its_step_too()
        {
            var e = await Assert.ThrowsAsync<Story.StepFailedException>(() => Story.RunAsync(async step =>
            {
                step("cleanup");
                await Task.Yield();
                throw new InvalidOperationException("bucket left");
            }));
            Assert.StartsWith("Step \"cleanup\" failed: bucket left", e.Message);
        }
    }
}
