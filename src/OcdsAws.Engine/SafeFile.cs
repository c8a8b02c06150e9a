using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Threading;

namespace OcdsAws
{
    /// <summary>
    /// The one way OcdsAws reads a file a user names (-Path, -PublicSuffixListPath, -ProfileLocation, a profile's
    /// web_identity_token_file): only a regular file, at most a documented size, and a read that Ctrl+C stops.
    /// A FIFO blocks in open() until a writer comes, and /dev/zero or /dev/urandom never end: each would hang the
    /// cmdlet for good or fill the memory, so they are refused before they are opened.
    /// </summary>
    internal static class SafeFile
    {
        /// <summary>Test-DmarcCompliance -Path: above the largest message SES sends or receives (40 MB; SES Developer
        /// Guide, "Service quotas in Amazon SES", https://docs.aws.amazon.com/ses/latest/dg/quotas.html).</summary>
        public const long MaxMessageBytes = 64L * 1024 * 1024;

        /// <summary>Get-DmarcRecord -PublicSuffixListPath: the list is about 0.3 MB; 16 MB leaves it room to grow.</summary>
        public const long MaxPublicSuffixListBytes = 16L * 1024 * 1024;

        /// <summary>ConvertFrom-SesNotification -Path: a file of many notifications, read as a stream.</summary>
        public const long MaxNotificationFileBytes = 256L * 1024 * 1024;

        /// <summary>AWS credentials and config files (-ProfileLocation, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE).</summary>
        public const long MaxProfileFileBytes = 1024L * 1024;

        /// <summary>
        /// A profile's web_identity_token_file: STS takes a WebIdentityToken of at most 20,000 characters (botocore's sts
        /// model, AssumeRoleWithWebIdentity, shape clientTokenType max 20000); 64 KB leaves room for line ends.
        /// </summary>
        public const long MaxWebIdentityTokenBytes = 64L * 1024;

        /// <summary>
        /// Refuses <paramref name="path"/> unless it is an existing regular file of at most <paramref name="maxBytes"/>.
        /// </summary>
        /// <param name="path">A file system path (already resolved from a PowerShell path).</param>
        /// <param name="what">What the file is, for the message ("message file", "credentials file (-ProfileLocation)").</param>
        /// <param name="maxBytes">The size cap.</param>
        /// <param name="notAFileId">The error id for a directory or special file.</param>
        /// <param name="hint">What the user should give instead, appended to the message.</param>
        /// <exception cref="ValidationException">FileNotFound, <paramref name="notAFileId"/> or FileTooLarge.</exception>
        public static void Check(string path, string what, long maxBytes, string notAFileId = "NotAFile", string? hint = null)
        {
            var tail = hint == null ? "" : " " + hint;
            if (Directory.Exists(path))
                throw new ValidationException(notAFileId, $"'{path}' is a directory, not a {what}.{tail}");
            if (!File.Exists(path))
                throw new ValidationException(ErrorIds.FileNotFound, $"The {what} '{path}' does not exist.{tail}", ErrorCategory.ObjectNotFound);
            var kind = SpecialKind(path);
            if (kind != null)
                throw new ValidationException(notAFileId, $"'{path}' is {kind}, not a regular file: OcdsAws reads a {what} only from a saved file, as a FIFO or a device may never end.{tail}");
            var length = new FileInfo(path).Length;
            if (length > maxBytes)
                throw new ValidationException(ErrorIds.FileTooLarge, $"The {what} '{path}' holds {length.ToString("N0", CultureInfo.InvariantCulture)} bytes; OcdsAws reads at most {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes from a {what}.{tail}");
        }

        /// <summary>Checks the file, then opens it for a read that stops at the cap and on <paramref name="cancellationToken"/>.</summary>
        public static Stream OpenRead(string path, string what, long maxBytes, CancellationToken cancellationToken, string notAFileId = "NotAFile", string? hint = null)
        {
            Check(path, what, maxBytes, notAFileId, hint);
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
            return new CappedStream(stream, path, what, maxBytes, cancellationToken);
        }

        /// <summary>"a named pipe (FIFO)", "a character device"… for a file that is not regular; null for a regular file or when this platform cannot tell.</summary>
        private static string? SpecialKind(string path)
        {
            // Windows has no FIFOs or device files among ordinary paths; System.Native exists on .NET (Core) on Unix only.
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            try
            {
                // SystemNative_Stat fills .NET's own FileStatus (dotnet/runtime src/native/libs/System.Native/pal_io.h:
                // int32 Flags, then int32 Mode, ...) with the file type bits normalised to POSIX's values (PAL_S_IF*).
                // It follows symbolic links, so a link to /dev/zero counts as a character device.
                var status = new byte[512];
                if (NativeStat(System.Text.Encoding.UTF8.GetBytes(path + "\0"), status) != 0) return null;
                return (BitConverter.ToInt32(status, 4) & 0xF000) switch
                {
                    0x8000 => null,
                    0x1000 => "a named pipe (FIFO)",
                    0x2000 => "a character device",
                    0x6000 => "a block device",
                    0xC000 => "a socket",
                    0x4000 => "a directory",
                    _ => "a special file",
                };
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
            {
                return null; // not .NET (Core): the size cap and the cancellable read still apply
            }
        }

        // The path goes as NUL-terminated UTF-8 bytes, as System.Native expects (netstandard2.0 has no LPUTF8Str).
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int NativeStat(byte[] utf8Path, byte[] status);

        /// <summary>A read-only stream that checks Ctrl+C on every read and refuses to go past the cap (a file that grew).</summary>
        private sealed class CappedStream : Stream
        {
            private readonly Stream _inner;
            private readonly string _path;
            private readonly string _what;
            private readonly long _max;
            private readonly CancellationToken _ct;
            private long _read;

            public CappedStream(Stream inner, string path, string what, long max, CancellationToken ct)
            {
                _inner = inner;
                _path = path;
                _what = what;
                _max = max;
                _ct = ct;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => _inner.Length;

            public override long Position
            {
                get => _read;
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                _ct.ThrowIfCancellationRequested();
                var n = _inner.Read(buffer, offset, count);
                _read += n;
                if (_read > _max)
                    throw new ValidationException(ErrorIds.FileTooLarge, $"The {_what} '{_path}' grew past {_max.ToString("N0", CultureInfo.InvariantCulture)} bytes while it was read; OcdsAws reads at most that much from a {_what}.");
                return n;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
