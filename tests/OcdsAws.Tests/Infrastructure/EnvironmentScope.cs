using System;
using System.Collections.Generic;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>Sets environment variables for one test and restores them after (tests in the "Environment" collection only).</summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = new();

        public EnvironmentScope(params (string Name, string? Value)[] variables)
        {
            foreach (var (name, value) in variables) Set(name, value);
        }

        public void Set(string name, string? value)
        {
            if (!_saved.ContainsKey(name)) _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose()
        {
            foreach (var pair in _saved) Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        }
    }
}
