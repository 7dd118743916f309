// Disjoint sets over string keys (path halving + union by size; Tarjan 1975) for patient / same-picture groups.
export class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  add(key: string): void {
    if (!this.parent.has(key)) {
      this.parent.set(key, key);
      this.size.set(key, 1);
    }
  }

  find(key: string): string {
    this.add(key);
    let k = key;
    for (;;) {
      const p = this.parent.get(k) as string;
      if (p === k) return k;
      const gp = this.parent.get(p) as string;
      this.parent.set(k, gp);
      k = gp;
    }
  }

  union(a: string, b: string): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size.get(ra) as number) < (this.size.get(rb) as number) || ((this.size.get(ra) as number) === (this.size.get(rb) as number) && rb < ra)) {
      [ra, rb] = [rb, ra];
    }
    this.parent.set(rb, ra);
    this.size.set(ra, (this.size.get(ra) as number) + (this.size.get(rb) as number));
  }
}
