using System;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>
    /// A story test in named steps: the whole runbook section runs as one test (its steps build on each other), and a
    /// failure says which step failed, not only which of its 40 asserts.
    /// </summary>
    public static class Story
    {
        /// <summary>Runs <paramref name="story"/>; it names each step with the action it is given, before the step's work.</summary>
        public static void Run(Action<Action<string>> story)
        {
            var current = "(before the first step)";
            try
            {
                story(name => current = name);
            }
            catch (Exception e) when (!(e is StepFailedException))
            {
                throw new StepFailedException($"Step \"{current}\" failed: {e.Message}", e);
            }
        }

        /// <summary>The same for a story that awaits.</summary>
        public static async Task RunAsync(Func<Action<string>, Task> story)
        {
            var current = "(before the first step)";
            try
            {
                await story(name => current = name);
            }
            catch (Exception e) when (!(e is StepFailedException))
            {
                throw new StepFailedException($"Step \"{current}\" failed: {e.Message}", e);
            }
        }

        /// <summary>A failed step: its name, then the failure.</summary>
        public sealed class StepFailedException : XunitException
        {
            public StepFailedException(string message, Exception inner)
                : base(message, inner)
            {
            }
        }
    }
}
