using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OcdsAws.Tests.Infrastructure;
using Xunit;
using static OcdsAws.Tests.Aurora.AuroraTestHelpers;

namespace OcdsAws.Tests.Aurora
{
    /// <summary>Issue #15 item 12 (in part): Invoke-AuroraSql -WhatIf sends only statements that clearly read.</summary>
    public sealed class AuroraSqlWhatIfTests
    {
        [Theory]
        [InlineData("select 1 as one", true)]
        [InlineData("SELECT count(*), max(id) FROM contracts WHERE title = 'delete me'; ", true)]
        [InlineData("with t as (select id from a) select * from t -- drop table a", true)]
        [InlineData("explain select * from a", true)]
        [InlineData("delete from a", false)]
        [InlineData("insert into a values (1)", false)]
        [InlineData("select * into b from a", false)]
        [InlineData("select * from a for update", false)]
        [InlineData("select nextval('s')", false)]
        [InlineData("select 1; drop table a", false)]
        [InlineData("with d as (delete from a returning *) select * from d", false)]
        [InlineData("explain analyze delete from a", false)]
        [InlineData("create table a (id int)", false)]
        [InlineData("do $$ begin perform 1; end $$", false)]
        public void Invoke_AuroraSql_WhatIf_runs_only_statements_that_clearly_read(string sql, bool reads)
        {
            var vars = Vars(("sql", sql), ("arn", "arn:aws:rds:ap-northeast-2:123456789012:cluster:whatif"), ("secret", "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!cluster-whatif"));

            var r = PowerShellHost.Run("Invoke-AuroraSql -Sql $sql -ResourceArn $arn -SecretArn $secret -WhatIf -ErrorAction SilentlyContinue @aws -Verbose", vars);

            Assert.Equal(reads ? 1 : 0, r.AwsCalls);
            if (!reads)
            {
                var confirm = PowerShellHost.Run("Invoke-AuroraSql -Sql $sql -ResourceArn $arn -SecretArn $secret -Confirm @aws -Verbose", vars);
                Assert.Contains("may change data", Assert.Single(confirm.Errors).Exception.Message);
                Assert.Equal(0, confirm.AwsCalls);
            }
        }
    }
}
