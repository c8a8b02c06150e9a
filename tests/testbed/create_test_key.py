"""Creates the test IAM user, its policy and its access key on a fresh moto: the three calls moto lets
through unsigned (build.ps1 starts it with INITIAL_NO_AUTH_ACTION_COUNT=3). After them moto checks every
signature and every IAM permission, like AWS. Prints "ACCESS_KEY_ID SECRET_ACCESS_KEY"."""
import json
import sys

import boto3

endpoint = sys.argv[1]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="ocdsaws-test")
iam.put_user_policy(UserName="ocdsaws-test", PolicyName="runbook-operator", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="ocdsaws-test")["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
