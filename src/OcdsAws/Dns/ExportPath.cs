using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace OcdsAws.Dns
{
    /// <summary>
    /// Where Export-DnsRecord may write: a new file, or with -Force an existing regular file. Never a directory, a FIFO,
    /// a device or a socket (#16 item 1): opening a FIFO for writing waits for a reader that may never come, and a
    /// device such as /dev/zero swallows the records. Out-File's -NoClobber is the model for an existing file.
    /// </summary>
    internal static class ExportPath
    {
        /// <summary>The file system path of <paramref name="path"/>, or a <see cref="ValidationException"/> that says why not.</summary>
        public static string Resolve(PSCmdlet cmdlet, string path, bool force)
        {
            string full;
            ProviderInfo provider;
            try
            {
                full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException || e is ArgumentException)
            {
                throw new ValidationException(ErrorIds.InvalidPath, $"-Path '{path}' is not a file path ({e.Message}). Give the path of a file, such as ./example.org.zone.");
            }
            if (provider.Name != "FileSystem")
                throw new ValidationException(ErrorIds.InvalidPath, $"-Path '{path}' is on the {provider.Name} drive, not the file system. Give the path of a file, such as ./example.org.zone.");

            if (!cmdlet.InvokeProvider.Item.Exists(full, true, true))
            {
                var folder = System.IO.Path.GetDirectoryName(full);
                if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                    throw new ValidationException(ErrorIds.DirectoryNotFound, $"The folder '{folder}' of -Path does not exist. Create it first, or give a path in an existing folder.", ErrorCategory.ObjectNotFound);
                return full;
            }

            var kind = SpecialKind(cmdlet, full);
            if (kind != null)
                throw new ValidationException(ErrorIds.NotARegularFile,
                    $"-Path '{full}' is {kind}, not a regular file: Export-DnsRecord writes only to a regular file or a new one. Give the path of a file, such as ./example.org.zone.");
            if (!force)
                throw new ValidationException(ErrorIds.FileExists, $"The file '{full}' already exists. Add -Force to overwrite it, or give another -Path.", ErrorCategory.ResourceExists);
            return full;
        }

        /// <summary>
        /// Null for a regular file (after following symbolic links); else what it is, in words. On Unix, PowerShell's
        /// FileSystem provider attaches the item's stat as the UnixStat property (ItemType File, Directory,
        /// SymbolicLink, NamedPipe, CharacterDevice, BlockDevice, Socket); .NET's FileInfo calls a FIFO or a device
        /// "Normal", like a file. Where UnixStat is absent (Windows) the Directory and Device attributes decide.
        /// </summary>
        private static string? SpecialKind(PSCmdlet cmdlet, string full)
        {
            var path = full;
            for (var hop = 0; hop < 8; hop++)
            {
                var item = cmdlet.InvokeProvider.Item.Get(new[] { path }, true, true).FirstOrDefault();
                if (item == null) return null;
                if (item.BaseObject is DirectoryInfo) return "a directory";
                var stat = item.Properties["UnixStat"]?.Value;
                if (stat == null)
                    return item.BaseObject is FileSystemInfo info && (info.Attributes & FileAttributes.Device) != 0 ? "a device" : null;
                var type = PSObject.AsPSObject(stat).Properties["ItemType"]?.Value?.ToString();
                switch (type)
                {
                    case "File":
                        return null;
                    case "SymbolicLink":
                        // ResolvedTarget is the link's final target (PowerShell 7.1+); without it the link is refused rather than guessed at.
                        if (!(item.Properties["ResolvedTarget"]?.Value is string next) || next.Length == 0 || next == path) return "a symbolic link";
                        path = next;
                        continue;
                    case "NamedPipe":
                        return "a named pipe (FIFO)";
                    case "CharacterDevice":
                        return "a character device";
                    case "BlockDevice":
                        return "a block device";
                    case "Socket":
                        return "a socket";
                    default:
                        return "not a regular file (" + (type ?? "unknown type") + ")";
                }
            }

            return "a chain of more than 8 symbolic links";
        }
    }
}
