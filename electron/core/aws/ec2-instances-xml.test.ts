import { describe, expect, it } from 'vitest';
import { decodeXmlText, parseDescribeInstancesXml } from './ec2-instances-xml';

// Shaped like EC2's own answers (API version 2016-11-15): the same element names appear at
// several depths (privateIpAddress in network interfaces, name in placement and state, item
// everywhere), which a reader that only looks for names would confuse.
function instanceXml(options: {
  id: string;
  state: string;
  privateIp: string;
  publicIp?: string;
  tags: string;
}): string {
  return `<item>
        <instanceId>${options.id}</instanceId>
        <imageId>ami-0abcdef1234567890</imageId>
        <instanceState><code>16</code><name>${options.state}</name></instanceState>
        <privateDnsName>ip-10-0-0-157.ec2.internal</privateDnsName>
        <dnsName/>
        <reason/>
        <keyName>my-key</keyName>
        <amiLaunchIndex>0</amiLaunchIndex>
        <productCodes/>
        <instanceType>t3.micro</instanceType>
        <launchTime>2025-01-02T10:00:00.000Z</launchTime>
        <placement><availabilityZone>us-east-1a</availabilityZone><groupName/><tenancy>default</tenancy></placement>
        <monitoring><state>disabled</state></monitoring>
        <subnetId>subnet-0123</subnetId>
        <vpcId>vpc-0123</vpcId>
        <privateIpAddress>${options.privateIp}</privateIpAddress>
        ${options.publicIp === undefined ? '' : `<ipAddress>${options.publicIp}</ipAddress>`}
        <groupSet><item><groupId>sg-0123</groupId><groupName>web &amp; ssh</groupName></item></groupSet>
        <architecture>x86_64</architecture>
        <rootDeviceType>ebs</rootDeviceType>
        <blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-1</volumeId><status>attached</status></ebs></item></blockDeviceMapping>
        <networkInterfaceSet>
          <item>
            <networkInterfaceId>eni-0123</networkInterfaceId>
            <privateIpAddress>10.9.9.9</privateIpAddress>
            <association><publicIp>198.51.100.9</publicIp><ipOwnerId>amazon</ipOwnerId></association>
            <privateIpAddressesSet><item><privateIpAddress>10.9.9.9</privateIpAddress><primary>true</primary></item></privateIpAddressesSet>
            <tagSet><item><key>eni-tag</key><value>not an instance tag</value></item></tagSet>
          </item>
        </networkInterfaceSet>
        <iamInstanceProfile><arn>arn:aws:iam::123456789012:instance-profile/ssm</arn><id>AIPA</id></iamInstanceProfile>
        ${options.tags}
        <metadataOptions><state>applied</state><httpTokens>required</httpTokens></metadataOptions>
      </item>`;
}

const PAGE = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>
  <reservationSet>
    <item>
      <reservationId>r-1234567890abcdef0</reservationId>
      <ownerId>123456789012</ownerId>
      <groupSet/>
      <instancesSet>
        ${instanceXml({
          id: 'i-1234567890abcdef0',
          state: 'running',
          privateIp: '10.0.0.157',
          publicIp: '203.0.113.10',
          tags: `<tagSet>
          <item><key>Name</key><value>web &lt;blue&gt; &amp; "green"</value></item>
          <item><key>Team&apos;s</key><value>caf&#233; &#x1F600;</value></item>
          <item><key>empty</key><value/></item>
        </tagSet>`,
        })}
        ${instanceXml({
          id: 'i-0fedcba9876543210',
          state: 'stopped',
          privateIp: '10.0.0.158',
          tags: '<tagSet/>',
        })}
      </instancesSet>
      <requesterId>940372691376</requesterId>
    </item>
    <item>
      <reservationId>r-0aaaaaaaaaaaaaaaa</reservationId>
      <ownerId>210987654321</ownerId>
      <groupSet/>
      <instancesSet>
        ${instanceXml({ id: 'i-0bbbbbbbbbbbbbbbb', state: 'pending', privateIp: '10.1.0.1', tags: '' })}
      </instancesSet>
    </item>
  </reservationSet>
  <nextToken>eyJ2IjoxLCJjIjoiQUFBQSJ9&#x3D;&#x3D;</nextToken>
</DescribeInstancesResponse>`;

describe('parseDescribeInstancesXml', () => {
  it('reads owner, id, state, addresses and tags at their own paths only', () => {
    const out = parseDescribeInstancesXml(PAGE);
    expect(out.nextToken).toBe('eyJ2IjoxLCJjIjoiQUFBQSJ9==');
    expect(out.reservations).toEqual([
      {
        OwnerId: '123456789012',
        Instances: [
          {
            InstanceId: 'i-1234567890abcdef0',
            State: { Name: 'running' },
            PrivateIpAddress: '10.0.0.157',
            PublicIpAddress: '203.0.113.10',
            Tags: [
              { Key: 'Name', Value: 'web <blue> & "green"' },
              { Key: "Team's", Value: 'café 😀' },
              { Key: 'empty', Value: '' },
            ],
          },
          {
            InstanceId: 'i-0fedcba9876543210',
            State: { Name: 'stopped' },
            PrivateIpAddress: '10.0.0.158',
          },
        ],
      },
      {
        OwnerId: '210987654321',
        Instances: [
          {
            InstanceId: 'i-0bbbbbbbbbbbbbbbb',
            State: { Name: 'pending' },
            PrivateIpAddress: '10.1.0.1',
          },
        ],
      },
    ]);
  });

  it('reads an answer with no reservations and no nextToken (the last page, or nothing found)', () => {
    const empty = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>x</requestId><reservationSet/></DescribeInstancesResponse>`;
    expect(parseDescribeInstancesXml(empty)).toEqual({ reservations: [] });
    const blankToken = empty.replace('<reservationSet/>', '<reservationSet/><nextToken/>');
    expect(parseDescribeInstancesXml(blankToken)).toEqual({ reservations: [] });
  });

  it('refuses a document that is not a DescribeInstances answer or is cut short', () => {
    expect(() =>
      parseDescribeInstancesXml(
        '<Response><Errors><Error><Code>X</Code></Error></Errors></Response>',
      ),
    ).toThrow(/DescribeInstancesResponse was expected/);
    expect(() => parseDescribeInstancesXml(PAGE.slice(0, PAGE.length / 2))).toThrow(/never closed/);
    expect(() =>
      parseDescribeInstancesXml('<DescribeInstancesResponse><a></b></DescribeInstancesResponse>'),
    ).toThrow(/closes nothing open/);
    expect(() => parseDescribeInstancesXml('')).toThrow(/no DescribeInstancesResponse/);
  });

  it('reads a thousand instances of one reservation', () => {
    const items = Array.from({ length: 1000 }, (_, n) =>
      instanceXml({
        id: `i-${n.toString(16).padStart(17, '0')}`,
        state: 'running',
        privateIp: `10.0.${n >> 8}.${n & 255}`,
        tags: `<tagSet><item><key>Name</key><value>node-${n}</value></item></tagSet>`,
      }),
    ).join('');
    const xml = `<DescribeInstancesResponse><reservationSet><item><ownerId>1</ownerId><instancesSet>${items}</instancesSet></item></reservationSet></DescribeInstancesResponse>`;
    const out = parseDescribeInstancesXml(xml);
    const instances = out.reservations[0]?.Instances ?? [];
    expect(instances).toHaveLength(1000);
    expect(instances[999]).toEqual({
      InstanceId: 'i-000000000000003e7',
      State: { Name: 'running' },
      PrivateIpAddress: '10.0.3.231',
      Tags: [{ Key: 'Name', Value: 'node-999' }],
    });
  });
});

describe('decodeXmlText', () => {
  it('decodes the named entities and character references, leaving unknown ones as written', () => {
    expect(decodeXmlText('a &amp;&lt;&gt;&quot;&apos; &#65;&#x42; &nbsp; &#xFFFFFFF;')).toBe(
      'a &<>"\' AB &nbsp; &#xFFFFFFF;',
    );
  });
});
