using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;

namespace OcdsAws.Deliverability
{
    /// <summary>Reads SES bounce, complaint and delivery notifications into objects, one per recipient.</summary>
    [Cmdlet(VerbsData.ConvertFrom, "SesNotification", DefaultParameterSetName = InputSet)]
    [OutputType(typeof(SesNotificationRecord))]
    public sealed class ConvertFromSesNotificationCommand : OcdsCmdlet
    {
        private const string InputSet = "InputObject";
        private const string PathSet = "Path";

        private SesNotificationReader _reader = new SesNotificationReader();
        private int _rows;
        private int _errors;

        /// <summary>Notification text: a whole file (Get-Content -Raw), its lines (Get-Content), an SNS message or an email body.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputSet)]
        [AllowEmptyString]
        public string[] InputObject { get; set; } = Array.Empty<string>();

        /// <summary>Files of notifications, read as a stream (a file of many notifications is never loaded whole).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [Alias("FullName", "PSPath")]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <inheritdoc />
        protected override void ProcessItem()
        {
            if (ParameterSetName == PathSet)
            {
                foreach (var path in Path) ForItem(path, () => ReadFile(path));
                return;
            }
            foreach (var text in InputObject) Feed(text ?? "", null);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (ParameterSetName == InputSet) Finish(null);
        }

        private void ReadFile(string path)
        {
            var full = GetUnresolvedProviderPathFromPSPath(path);
            // A regular file of at most SafeFile.MaxNotificationFileBytes, read line by line; Ctrl+C stops the read.
            using (var reader = new StreamReader(SafeFile.OpenRead(full, "notification file", SafeFile.MaxNotificationFileBytes, CancellationToken), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    // Ctrl+C between lines: a long file that yields no row would otherwise never reach a WriteObject that stops.
                    if (CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                    Feed(line, full);
                }
            }
            Finish(full);
        }

        private void Feed(string text, string? target)
        {
            var problems = new List<Exception>();
            IReadOnlyList<SesNotificationRecord> rows;
            try
            {
                rows = _reader.Feed(text, problems, CancellationToken);
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException(); // Ctrl+C inside one long piece of input
            }
            foreach (var row in rows)
            {
                _rows++;
                WriteObject(row);
            }
            foreach (var problem in problems)
            {
                _errors++;
                WriteFailure(problem, target);
            }
        }

        private void Finish(string? target)
        {
            if (_reader.HasIncompleteInput)
            {
                _errors++;
                WriteFailure(new ValidationException(ErrorIds.IncompleteNotification, "The input ends inside a JSON object: the last notification is cut short."), target);
            }
            else if (_rows == 0 && _errors == 0)
            {
                WriteFailure(new ValidationException(ErrorIds.NotAnSesNotification,
                    "The input holds no SES notification (no JSON object). Give the SNS message, the notification JSON, or the text of the notification email."), target);
            }
            _reader = new SesNotificationReader();
            _rows = 0;
            _errors = 0;
        }
    }
}
