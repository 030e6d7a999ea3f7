// Request-reply subjects the window scheduler answers (the gateway forwards its window routes here).
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { defineRpc } from '../rpc-definition';

export interface GrantView {
  agencyId: string;
  state: 'active' | 'revoked';
}

export interface WindowView {
  submissionId: string;
  state: 'scheduled' | 'open' | 'closed' | 'cancelled';
  opensAt: string;
  closesAt: string;
  closedReason?: 'scheduled-end' | 'released' | 'withdrawn';
  closedAt?: string;
  grants: GrantView[];
}

export class GetWindowRequest {
  @IsUUID()
  submissionId: string;
}

export const GetWindow = defineRpc<GetWindowRequest, WindowView>({
  domain: 'window',
  verb: 'get-window',
  request: GetWindowRequest,
  description: "A submission's access window: its lab, an agency granted on it, or an operator; anyone else gets not_found.",
});

export class ListWindowsRequest {
  @IsOptional() @IsIn(['scheduled', 'open', 'closed', 'cancelled'])
  state?: 'scheduled' | 'open' | 'closed' | 'cancelled';
}

export const ListWindows = defineRpc<ListWindowsRequest, { items: WindowView[] }>({
  domain: 'window',
  verb: 'list-windows',
  request: ListWindowsRequest,
  description: 'Windows the caller may see: an agency those it holds a grant on, a lab its own, an operator all.',
});
