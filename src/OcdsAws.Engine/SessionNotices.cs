using System;
using System.Collections.Concurrent;

namespace OcdsAws
{
    /// <summary>
    /// What one PowerShell session (runspace) was already told: advice that does not change between calls is given once,
    /// not on every call. The cmdlet layer keeps one per runspace; services only ask.
    /// </summary>
    internal sealed class SessionNotices
    {
        private readonly ConcurrentDictionary<string, bool> _given = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        /// <summary>True the first time <paramref name="key"/> is asked in this session, false after.</summary>
        public bool FirstTime(string key) => _given.TryAdd(key, true);
    }
}
