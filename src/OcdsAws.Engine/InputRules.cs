using System;

namespace OcdsAws
{
    /// <summary>Input rules every area shares (each area's own rules are in its <c>*Input</c> class).</summary>
    internal static class InputRules
    {
        /// <summary>A duration that must be positive (a timeout); InvalidTimeout naming <paramref name="parameter"/> otherwise.</summary>
        public static TimeSpan Positive(TimeSpan value, string parameter)
            => value > TimeSpan.Zero ? value : throw new ValidationException(ErrorIds.InvalidTimeout, $"{parameter} must be positive.");
    }
}
