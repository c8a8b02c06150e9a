using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace OcdsAws.Aws
{
    /// <summary>Where OcdsAws's handlers go in every client's pipeline, ours and the SDK packages': written once, here.</summary>
    internal static class CallHandlers
    {
        /// <summary>
        /// The lost-answer check right after Core's RetryHandler (inside the retry loop, so each attempt is checked and a
        /// retry can follow), then <paramref name="spacing"/> after it (each attempt, retries included, is spaced), and the
        /// call log as the outermost handler (one record per call, with its attempts).
        /// </summary>
        public static void AddTo(RuntimePipeline pipeline, CallLogHandler callLog, PipelineHandler? spacing = null)
        {
            pipeline.AddHandlerAfter<RetryHandler>(new LostAnswerHandler());
            if (spacing != null) pipeline.AddHandlerAfter<LostAnswerHandler>(spacing);
            pipeline.AddHandler(callLog);
        }
    }
}
