using System;
using System.IO;
using System.Runtime.InteropServices;

namespace OcdsAws.Tests.Infrastructure
{
    /// <summary>Files that are not regular files (#16 item 1): a FIFO nobody writes to blocks a reader in open() for good.</summary>
    public static class SpecialFiles
    {
        [DllImport("libc", SetLastError = true)]
        private static extern int mkfifo(string path, uint mode);

        /// <summary>A new FIFO in the temp folder (no writer ever opens it).</summary>
        public static string Fifo() => Fifo(Path.Combine(Path.GetTempPath(), "ocdsaws-fifo-" + Guid.NewGuid().ToString("N")));

        /// <summary>A FIFO at <paramref name="path"/>.</summary>
        public static string Fifo(string path)
        {
            if (mkfifo(path, Convert.ToUInt32("600", 8)) != 0) throw new InvalidOperationException("mkfifo failed: " + Marshal.GetLastWin32Error());
            return path;
        }
    }
}
