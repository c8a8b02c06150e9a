# Hostile DNS answers through the published module (issue #16 items 2 and 3): a name server on 127.0.0.1 that
# answers with crafted bytes. What users see: a malformed answer is the DnsUnavailable error (a DMARC temperror) or an
# Unreachable check, never a raw exception; a packet that is not a response, or a record owned by another name,
# never counts.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $bed = Get-TestBed
    Import-Module $bed.Module -Force

    # The responder runs on a thread of its own; the first label of the name asked picks the answer. It wakes every
    # 200 ms to see whether AfterAll asked it to stop (a blocking receive is not reliably interrupted by closing the socket).
    $udp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
    $udp.Client.ReceiveTimeout = 200
    $server = "127.0.0.1:$($udp.Client.LocalEndPoint.Port)"
    $stop = [System.Threading.ManualResetEventSlim]::new($false)
    $responder = [powershell]::Create()
    $null = $responder.AddScript({
        param($udp, $stop)
        function Name([string] $name) { foreach ($l in $name.Split('.')) { [byte]$l.Length; [Text.Encoding]::ASCII.GetBytes($l) }; [byte]0 }
        while (-not $stop.IsSet) {
            $remote = [System.Net.IPEndPoint]::new([ipaddress]::Any, 0)
            try { $query = $udp.Receive([ref]$remote) } catch [System.Net.Sockets.SocketException] { continue } catch { return }
            $end = 12
            while ($query[$end] -ne 0) { $end += $query[$end] + 1 }
            $question = $query[12..($end + 4)]
            $first = [Text.Encoding]::ASCII.GetString($query, 13, $query[12])
            $inner = if ($first -eq '_dmarc') { [Text.Encoding]::ASCII.GetString($query, 14 + $query[12], $query[13 + $query[12]]) } else { $first }
            $flags = 0x84, 0x00; $count = 1; $answer = @()
            $txt = [Text.Encoding]::ASCII.GetBytes('v=DMARC1; p=reject')
            $rdata = @([byte]$txt.Length) + $txt
            switch ($inner) {
                'loop' {
                    # The answer's owner is a compression pointer to itself.
                    $at = 12 + $question.Count
                    $answer = @((0xC0 -bor ($at -shr 8)), ($at -band 0xFF), 0, 16, 0, 1, 0, 0, 1, 44, 0, $rdata.Count) + $rdata
                }
                'foreign' { $answer = @(Name '_dmarc.attacker.example') + @(0, 16, 0, 1, 0, 0, 1, 44, 0, $rdata.Count) + $rdata }
                'query' { $flags = 0x04, 0x00; $answer = @(0xC0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 127, 0, 0, 2) }
                default { $flags = 0x84, 0x03; $count = 0 }
            }
            [byte[]] $reply = @($query[0], $query[1]) + $flags + @(0, 1, 0, $count, 0, 0, 0, 0) + $question + $answer
            $null = $udp.Send($reply, $reply.Length, $remote)
        }
    }).AddArgument($udp).AddArgument($stop)
    $running = $responder.BeginInvoke()
}

AfterAll {
    $stop.Set()
    $null = $running.AsyncWaitHandle.WaitOne(5000)
    $udp.Dispose()
    $responder.Dispose()
}

Describe 'Hostile DNS answers' {
    It 'Get-DmarcRecord reports a compression-pointer loop as DnsUnavailable, not a raw exception' {
        $result = Get-DmarcRecord loop.pester.test -DnsServer $server -ErrorVariable failure -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failure.Count | Should -Be 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'OcdsAws.DnsUnavailable,*'
        $failure[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $failure[0].Exception.Message | Should -BeLike '*malformed*compression pointer*'
    }

    It 'Get-DmarcRecord ignores a p=reject record owned by another name' {
        $result = Get-DmarcRecord foreign.pester.test -DnsServer $server -ErrorAction Stop
        $result.Record | Should -BeNullOrEmpty
        $result.EffectivePolicy | Should -Be 'none'
    }

    It 'Test-DnsRecord does not take a packet with QR=0 for an answer' {
        $check = Test-DnsRecord -DnsServer $server -InputObject @{ Name = 'query.pester.test'; Type = 'A'; Value = '127.0.0.2' } -ErrorAction Stop
        $check.Status | Should -Be 'Unreachable'
        $check.Error | Should -BeLike '*QR=0*'
    }
}
