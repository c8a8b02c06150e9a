"""Creates the test IAM user and access key on a fresh moto (these are the calls moto lets through
unsigned, INITIAL_NO_AUTH_ACTION_COUNT=2); prints "ACCESS_KEY_ID SECRET_ACCESS_KEY"."""
import sys

import boto3

endpoint = sys.argv[1]
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="ocdsaws-test")
key = iam.create_access_key(UserName="ocdsaws-test")["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
