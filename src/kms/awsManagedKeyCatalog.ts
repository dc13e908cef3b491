/**
 * The predefined aliases of AWS managed keys and what AWS gives each key: its description and its key policy.
 *
 * This file is data, not logic, and is long for that reason (14 policy documents, ~550 lines).
 *
 * Which aliases: the 14 that moto lists as predefined (moto/kms/utils.py RESERVED_ALIASE_TARGET_KEY_IDS, and
 * moto's test_list_aliases counts them), which agree with a real ListAliases answer of 2019 quoted in
 * binxio/cfn-kms-provider's tests (eu-central-1: dynamodb, es, glue, kinesisvideo, rds, redshift, ssm, xray listed
 * without a TargetKeyId; ebs, elasticfilesystem, lambda, s3 with one). AWS does not publish the list
 * (docs/aws-compatibility.md).
 *
 * Policies: byte for byte as GetKeyPolicy returned them in us-east-1 (FogSecurity/aws-managed-kms-keys,
 * reference_key_policies/*.json at 24dc669, 2025-03; Apache-2.0), with the account, Region, partition and the
 * kms:ViaService DNS suffix put back as parameters. Service principals (`es.amazonaws.com`) are left as AWS wrote
 * them.
 *
 * Descriptions: AWS's current form "Default key that protects my … when no other key is defined"; the source of
 * each is noted beside it (keys made before about 2021 say "Default master key …").
 */

export interface PolicyParameters {
  partition: string;
  accountId: string;
  region: string;
  /** `amazonaws.com`, or `amazonaws.com.cn` in the China Regions. */
  dnsSuffix: string;
}

export interface AwsManagedKeyTemplate {
  description: string;
  policy: (parameters: PolicyParameters) => string;
}

/** By alias name, in name order (the order ListAliases shows them before their keys exist). */
export const PREDEFINED_AWS_MANAGED_KEYS: Readonly<Record<string, AwsManagedKeyTemplate>> = {
  'alias/aws/acm': {
    // modern text seen (truncated) in a DescribeKey print; the full sentence in its "Default master key" form
    description: 'Default key that protects my ACM private keys when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-acm-4",
  "Statement" : [ {
    "Sid" : "Allow creation of decryption grants",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:CreateGrant",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "acm.${region}.${dnsSuffix}"
      },
      "ForAllValues:StringEquals" : {
        "kms:GrantOperations" : "Decrypt"
      },
      "Bool" : {
        "kms:GrantIsForAWSResource" : "true"
      }
    }
  }, {
    "Sid" : "Allow creation of encryption grant",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:CreateGrant",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "acm.${region}.${dnsSuffix}"
      },
      "ForAllValues:StringEquals" : {
        "kms:GrantOperations" : [ "Encrypt", "ReEncryptFrom", "ReEncryptTo" ]
      },
      "Bool" : {
        "kms:GrantIsForAWSResource" : "true"
      }
    }
  }, {
    "Sid" : "Allowed operations for the key owner",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:DescribeKey", "kms:ListGrants", "kms:RevokeGrant", "kms:GetKeyPolicy" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}"
      }
    }
  }, {
    "Sid" : "Deny re-encryption to any other key",
    "Effect" : "Deny",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:ReEncrypt*",
    "Resource" : "*",
    "Condition" : {
      "Bool" : {
        "kms:ReEncryptOnSameKey" : "false"
      }
    }
  }, {
    "Sid" : "Allow decrypt",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:Decrypt",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "acm.${region}.${dnsSuffix}"
      }
    }
  } ]
}`,
  },
  'alias/aws/dynamodb': {
    // seen in a Terraform import of real keys
    description: 'Default key that protects my DynamoDB data when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-dynamodb-3",
  "Statement" : [ {
    "Sid" : "Allow access through Amazon DynamoDB for all principals in the account that are authorized to use Amazon DynamoDB",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}"
      },
      "StringLike" : {
        "kms:ViaService" : "dynamodb.*.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  }, {
    "Sid" : "Allow DynamoDB to directly describe the key",
    "Effect" : "Allow",
    "Principal" : {
      "Service" : "dynamodb.amazonaws.com"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/ebs': {
    // seen in Terraform imports of real keys
    description: 'Default key that protects my EBS volumes when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-ebs-2",
  "Statement" : [ {
    "Sid" : "Allow access through EBS for all principals in the account that are authorized to use EBS",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "ec2.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/elasticfilesystem': {
    // seen in a Terraform export
    description: 'Default key that protects my EFS filesystems when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-elasticfilesystem-1",
  "Statement" : [ {
    "Sid" : "Allow access to EFS for all principals in the account that are authorized to use EFS",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "elasticfilesystem.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/es': {
    // seen in a Terraform export of real keys
    description: 'Default key that protects my Amazon OpenSearch Service (successor to Amazon Elasticsearch Service) data when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-es-2",
  "Statement" : [ {
    "Sid" : "Allow access through OpenSearch Service for all principals in the account that are authorized to use OpenSearch Service",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "es.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  }, {
    "Sid" : "Allow OpenSearch service principals to describe the key directly",
    "Effect" : "Allow",
    "Principal" : {
      "Service" : "es.amazonaws.com"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/glue': {
    // inferred: seen only in its older "Default master key" form
    description: 'Default key that protects my Glue data when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-glue-1",
  "Statement" : [ {
    "Sid" : "Allow access through Glue for all principals in the account that are authorized to use Glue",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "glue.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/kinesisvideo': {
    // inferred: seen only in its older "Default master key" form
    description: 'Default key that protects my kinesis video data when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-kinesisvideo-1",
  "Statement" : [ {
    "Sid" : "Allow access through Kinesis Video Streams for all principals in the account that are authorized to use Kinesis Video Streams",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "kinesisvideo.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/lambda': {
    // seen in a Terraform export of real keys
    description: 'Default key that protects my Lambda functions when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-awslambda",
  "Statement" : [ {
    "Sid" : "Allow access through AWS Lambda for all principals in the account that are authorized to use AWS Lambda",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "lambda.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/rds': {
    // seen in DescribeKey output and a Terraform export
    description: 'Default key that protects my RDS database volumes when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-rds-2",
  "Statement" : [ {
    "Sid" : "Allow access through RDS for all principals in the account that are authorized to use RDS",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "rds.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/redshift': {
    // unconfirmed: no recording found
    description: 'Default key that protects my Redshift data when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-redshift-3",
  "Statement" : [ {
    "Sid" : "Allow access through RedShift for all principals in the account that are authorized to use RedShift",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "redshift.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow access through RedShift-Serverless for all principals in the account that are authorized to use RedShift-Serverless",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "redshift-serverless.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/s3': {
    // seen in a Terraform export of real keys
    description: 'Default key that protects my S3 objects when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-s3-2",
  "Statement" : [ {
    "Sid" : "Allow access through S3 for all principals in the account that are authorized to use S3",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "s3.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/secretsmanager': {
    // seen in a Terraform export of real keys
    description: 'Default key that protects my Secrets Manager data when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-secretsmanager-2",
  "Statement" : [ {
    "Sid" : "Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "secretsmanager.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow access through AWS Secrets Manager for all principals in the account that are authorized to use AWS Secrets Manager",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : "kms:GenerateDataKey*",
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}"
      },
      "StringLike" : {
        "kms:ViaService" : "secretsmanager.*.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/ssm': {
    // seen in DescribeKey output and a Terraform export
    description: 'Default key that protects my SSM parameters when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-ssm-1",
  "Statement" : [ {
    "Sid" : "Allow access through SSM for all principals in the account that are authorized to use SSM",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "ssm.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`,
  },
  'alias/aws/xray': {
    // inferred: seen only in its older "Default master key" form
    description: 'Default key that protects my X-Ray data when no other key is defined',
    policy: ({ partition, accountId, region, dnsSuffix }) => `{
  "Version" : "2012-10-17",
  "Id" : "auto-xray-1",
  "Statement" : [ {
    "Sid" : "Allow access through X-Ray for all principals in the account that are authorized to use X-Ray",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${accountId}",
        "kms:ViaService" : "xray.${region}.${dnsSuffix}"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  }, {
    "Sid" : "Allow X-Ray Service with service principal name xray.amazonaws.com to describe the key directly",
    "Effect" : "Allow",
    "Principal" : {
      "Service" : "xray.amazonaws.com"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`,
  },
};
