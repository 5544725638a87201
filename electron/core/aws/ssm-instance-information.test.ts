import { describe, expect, it } from 'vitest';
import { parseInstanceInformationJson } from './ssm-instance-information';

describe('parseInstanceInformationJson', () => {
  it('keeps the members the inventory shows, timestamps as dates, and the NextToken', () => {
    const page = parseInstanceInformationJson(
      JSON.stringify({
        InstanceInformationList: [
          {
            InstanceId: 'i-0123456789abcdef0',
            PingStatus: 'ConnectionLost',
            LastPingDateTime: 1735808400.5,
            AgentVersion: '3.3.987.0',
            IsLatestVersion: false,
            PlatformType: 'Linux',
            PlatformName: 'Ubuntu',
            PlatformVersion: '24.04',
            ResourceType: 'EC2Instance',
            IPAddress: '10.0.0.7',
            ComputerName: 'ip-10-0-0-7',
            AssociationStatus: 'Success',
          },
          { InstanceId: 'mi-0123456789abcdef0', Name: 'onprem', PingStatus: 'Online' },
        ],
        NextToken: 'opaque==',
      }),
    );
    expect(page).toEqual({
      instances: [
        {
          InstanceId: 'i-0123456789abcdef0',
          PingStatus: 'ConnectionLost',
          LastPingDateTime: new Date(1735808400500),
          AgentVersion: '3.3.987.0',
          PlatformType: 'Linux',
          PlatformName: 'Ubuntu',
          PlatformVersion: '24.04',
          ResourceType: 'EC2Instance',
          IPAddress: '10.0.0.7',
          ComputerName: 'ip-10-0-0-7',
        },
        { InstanceId: 'mi-0123456789abcdef0', Name: 'onprem', PingStatus: 'Online' },
      ],
      nextToken: 'opaque==',
    });
  });

  it('reads the last page (no or an empty token) and an empty listing', () => {
    expect(parseInstanceInformationJson('{"InstanceInformationList":[],"NextToken":""}')).toEqual({
      instances: [],
    });
    expect(parseInstanceInformationJson('{}')).toEqual({ instances: [] });
  });

  it('drops members of the wrong type instead of passing them on', () => {
    const page = parseInstanceInformationJson(
      '{"InstanceInformationList":[{"InstanceId":7,"PingStatus":"Online","LastPingDateTime":"soon"}, 3]}',
    );
    expect(page.instances).toEqual([{ PingStatus: 'Online' }]);
  });

  it('refuses an answer that is not a listing', () => {
    expect(() => parseInstanceInformationJson('{"InstanceInformationList":')).toThrow(
      'malformed JSON',
    );
    expect(() => parseInstanceInformationJson('{"InstanceInformationList":{}}')).toThrow(
      'without an InstanceInformationList',
    );
    expect(() => parseInstanceInformationJson('[]')).toThrow('without an InstanceInformationList');
  });
});
