#!/usr/bin/env bash
# The OcdsAws runbook done with the aws CLI, one `aws` process per call (issue "Measured", benchmark 2b).
#
#   bench/runbook-cli.sh ENDPOINT REGION DOMAIN
#
# The same steps as examples/Initialize-SesDomain.ps1 -MailFromSubdomain bounce, Initialize-SesSender.ps1
# -Subscribe (no SMTP credential) and Initialize-AuroraDatabase.ps1: the creates, plus the reads a careful
# user needs to be correct (DKIM tokens, account id, the active rule set, the engine version, the cluster's
# ARN and secret). Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. Names derive from DOMAIN,
# so several variants can share one moto. Any error other than "already exists" stops the script.
# Last line: CALLS <number of aws invocations>.
# AWS_CLI names the aws executable (default: aws from PATH). In this image `aws` is a pyenv shim that costs
# about 0.5 s per start on top of the CLI's own; AWS_CLI=$(pyenv which aws) measures the CLI without it.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 ENDPOINT REGION DOMAIN" >&2
    exit 2
fi
ENDPOINT=$1
REGION=$2
DOMAIN=$(printf '%s' "$3" | tr 'A-Z' 'a-z')
export AWS_EC2_METADATA_DISABLED=true AWS_DEFAULT_REGION="$REGION" AWS_PAGER=""

AWS=${AWS_CLI:-aws}
CALLS=0
ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT

# aws_call ARGS...: runs one aws command; its stdout lands in $OUT. "Already exists" answers are tolerated
# (OUT is then empty); every other failure stops the script with the CLI's message.
aws_call() {
    CALLS=$((CALLS + 1))
    if OUT=$("$AWS" --endpoint-url "$ENDPOINT" --region "$REGION" "$@" 2>"$ERR"); then
        return 0
    fi
    if grep -Eq 'AlreadyExists|AlreadyOwnedByYou|\.Duplicate' "$ERR"; then
        echo "note: $1 $2: already exists" >&2
        OUT=""
        return 0
    fi
    echo "FAILED: aws $1 $2" >&2
    cat "$ERR" >&2
    exit 1
}

# JSON string literal for a value (for a policy inside a JSON attribute map).
json_string() { jq -Rn --arg v "$1" '$v'; }

slug=$(printf '%s' "$DOMAIN" | tr -c 'a-z0-9\n' '-')
ADDRESS="data@$DOMAIN"
SUBSCRIBER="ops@$DOMAIN"
MAIL_FROM="bounce.$DOMAIN"
RULE_SET="ocdsaws-capture"
RULE="capture-$(printf '%s' "$ADDRESS" | tr -c 'a-z0-9._\n-' '-')"
NAME=$(printf 'n-%s' "$slug" | cut -c1-40 | sed 's/-*$//')  # VPC, subnet group, cluster: start with a letter
TOPIC=$(printf '%s' "$ADDRESS" | tr -c 'A-Za-z0-9_\n-' '-')

# --- Verify a domain: SES identity with Easy DKIM, then the tokens for the CNAME records -----------------
aws_call sesv2 create-email-identity --email-identity "$DOMAIN"
aws_call sesv2 get-email-identity --email-identity "$DOMAIN" --query 'DkimAttributes.Tokens' --output text
TOKENS=$OUT
for token in $TOKENS; do
    echo "$token._domainkey.$DOMAIN. 1800 IN CNAME $token.dkim.amazonses.com."
done

# --- MAIL FROM ------------------------------------------------------------------------------------------
aws_call sesv2 put-email-identity-mail-from-attributes --email-identity "$DOMAIN" \
    --mail-from-domain "$MAIL_FROM" --behavior-on-mx-failure USE_DEFAULT_VALUE
echo "$MAIL_FROM. 1800 IN MX 10 feedback-smtp.$REGION.amazonses.com."

# --- Verify an email address, capturing the verification mail in S3 -------------------------------------
aws_call sts get-caller-identity --query Account --output text
ACCOUNT=$OUT
BUCKET=$(printf 'cap-%s-%s' "$ACCOUNT" "$slug" | cut -c1-63 | sed 's/-*$//')
aws_call ses describe-active-receipt-rule-set --query 'Metadata.Name' --output text
PREVIOUS=$OUT
[ "$PREVIOUS" = "None" ] && PREVIOUS="-"
# Our rule set already active: an earlier capture's bucket remembers what was active before it.
REMEMBERED=$PREVIOUS
[ "$PREVIOUS" = "$RULE_SET" ] && REMEMBERED="-"

if [ "$REGION" = "us-east-1" ]; then
    aws_call s3api create-bucket --bucket "$BUCKET"
else
    aws_call s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=$REGION"
fi
aws_call s3api put-public-access-block --bucket "$BUCKET" \
    --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
RULE_ARN="arn:aws:ses:$REGION:$ACCOUNT:receipt-rule-set/$RULE_SET:receipt-rule/$RULE"
BUCKET_POLICY='{"Version":"2012-10-17","Statement":[{"Sid":"AllowSESPuts","Effect":"Allow","Principal":{"Service":"ses.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::'"$BUCKET"'/*","Condition":{"StringEquals":{"AWS:SourceAccount":"'"$ACCOUNT"'","AWS:SourceArn":"'"$RULE_ARN"'"}}}]}'
aws_call s3api put-bucket-policy --bucket "$BUCKET" --policy "$BUCKET_POLICY"
# The tag remembers which rule set to re-activate when the capture is removed.
aws_call s3api put-bucket-tagging --bucket "$BUCKET" \
    --tagging "TagSet=[{Key=ocdsaws:previous-active-rule-set,Value=$REMEMBERED},{Key=ocdsaws:captured-address,Value=$ADDRESS}]"
aws_call ses create-receipt-rule-set --rule-set-name "$RULE_SET"
aws_call ses create-receipt-rule --rule-set-name "$RULE_SET" \
    --rule '{"Name":"'"$RULE"'","Enabled":true,"ScanEnabled":false,"Recipients":["'"$ADDRESS"'"],"Actions":[{"S3Action":{"BucketName":"'"$BUCKET"'","ObjectKeyPrefix":"mail/"}}]}'
if [ "$PREVIOUS" != "$RULE_SET" ]; then
    aws_call ses set-active-receipt-rule-set --rule-set-name "$RULE_SET"
fi
aws_call sesv2 create-email-identity --email-identity "$ADDRESS"

# --- Notifications: topic SES may publish to, subscription, bounce and complaint with headers --------------
TOPIC_ARN="arn:aws:sns:$REGION:$ACCOUNT:$TOPIC"
TOPIC_POLICY='{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"'"$TOPIC_ARN"'","Condition":{"StringEquals":{"AWS:SourceOwner":"'"$ACCOUNT"'"}}},{"Sid":"AllowSESPublish","Effect":"Allow","Principal":{"Service":"ses.amazonaws.com"},"Action":"SNS:Publish","Resource":"'"$TOPIC_ARN"'","Condition":{"StringEquals":{"AWS:SourceAccount":"'"$ACCOUNT"'"}}}]}'
aws_call sns create-topic --name "$TOPIC" --attributes "{\"Policy\":$(json_string "$TOPIC_POLICY")}" \
    --query TopicArn --output text
TOPIC_ARN=${OUT:-$TOPIC_ARN}
aws_call sns subscribe --topic-arn "$TOPIC_ARN" --protocol email --notification-endpoint "$SUBSCRIBER"
for type in Bounce Complaint; do
    aws_call ses set-identity-notification-topic --identity "$ADDRESS" --notification-type "$type" --sns-topic "$TOPIC_ARN"
    aws_call ses set-identity-headers-in-notifications-enabled --identity "$ADDRESS" --notification-type "$type" --enabled
done

# --- Aurora network: VPC, two subnets in two zones, PostgreSQL security group, DB subnet group -------------
aws_call ec2 describe-availability-zones --filters Name=state,Values=available Name=zone-type,Values=availability-zone \
    --query 'AvailabilityZones[].ZoneName' --output text
read -r ZONE1 ZONE2 <<<"$(printf '%s\n' $OUT | sort | head -2 | tr '\n' ' ')"
if [ -z "${ZONE2:-}" ]; then echo "FAILED: $REGION has fewer than two available zones" >&2; exit 1; fi

tags() { echo "ResourceType=$1,Tags=[{Key=Name,Value=$2},{Key=ocdsaws:aurora-network,Value=$NAME}]"; }
aws_call ec2 create-vpc --cidr-block 10.0.0.0/16 --tag-specifications "$(tags vpc "$NAME")" --query Vpc.VpcId --output text
VPC_ID=$OUT
aws_call ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.0.1.0/24 --availability-zone "$ZONE1" \
    --tag-specifications "$(tags subnet "$NAME-db-1")" --query Subnet.SubnetId --output text
SUBNET1=$OUT
aws_call ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.0.2.0/24 --availability-zone "$ZONE2" \
    --tag-specifications "$(tags subnet "$NAME-db-2")" --query Subnet.SubnetId --output text
SUBNET2=$OUT
aws_call ec2 create-security-group --group-name "$NAME-postgresql" --description "PostgreSQL into Aurora ($NAME)" \
    --vpc-id "$VPC_ID" --tag-specifications "$(tags security-group "$NAME-postgresql")" --query GroupId --output text
GROUP_ID=$OUT
aws_call ec2 authorize-security-group-ingress --group-id "$GROUP_ID" \
    --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=10.0.0.0/16,Description=PostgreSQL}]'
aws_call rds create-db-subnet-group --db-subnet-group-name "$NAME" --db-subnet-group-description "Aurora subnets of $NAME" \
    --subnet-ids "$SUBNET1" "$SUBNET2" --tags "Key=ocdsaws:aurora-network,Value=$NAME"

# --- Aurora Serverless v2 cluster: newest version that can auto-pause (MinCapacity 0; all such have the Data API)
aws_call rds describe-db-engine-versions --engine aurora-postgresql \
    --query 'DBEngineVersions[?ServerlessV2FeaturesSupport.MinCapacity==`0`].EngineVersion' --output text
VERSION=$(printf '%s\n' $OUT | sort -V | tail -1)
if [ -z "$VERSION" ]; then echo "FAILED: no Aurora PostgreSQL version with auto-pause in $REGION" >&2; exit 1; fi
aws_call rds create-db-cluster --db-cluster-identifier "$NAME" --engine aurora-postgresql --engine-version "$VERSION" \
    --engine-mode provisioned --master-username postgres --manage-master-user-password --database-name common \
    --backup-retention-period 1 --db-subnet-group-name "$NAME" --vpc-security-group-ids "$GROUP_ID" --storage-encrypted \
    --serverless-v2-scaling-configuration MinCapacity=0,MaxCapacity=2,SecondsUntilAutoPause=3600
aws_call rds create-db-instance --db-instance-identifier "$NAME-1" --db-instance-class db.serverless \
    --engine aurora-postgresql --db-cluster-identifier "$NAME" --no-publicly-accessible
while :; do
    aws_call rds describe-db-clusters --db-cluster-identifier "$NAME" \
        --query 'DBClusters[0].[Status,DBClusterArn,MasterUserSecret.SecretArn]' --output text
    read -r STATUS CLUSTER_ARN SECRET_ARN <<<"$OUT"
    case "$STATUS" in
        available) break ;;
        failed|incompatible-*|inaccessible-*|storage-full) echo "FAILED: cluster $NAME is $STATUS" >&2; exit 1 ;;
    esac
    sleep 5
done
aws_call rds enable-http-endpoint --resource-arn "$CLUSTER_ARN"
aws_call rds-data execute-statement --resource-arn "$CLUSTER_ARN" --secret-arn "$SECRET_ARN" --database common \
    --sql 'select 1 as ok'

echo "CALLS $CALLS"
