// A resource tag as EC2, ELBv2 and Route 53 store it.
export interface Tag {
  Key?: string;
  Value?: string;
}
