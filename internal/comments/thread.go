package comments

// Node is a comment with the replies shown under it.
type Node struct {
	Comment
	Replies []*Node
}

// Thread arranges comments, oldest first, into threads: top-level comments
// in order, each with its replies in order. Replies nested deeper than
// maxDepth (at least 1: replies, but no replies to replies) are shown at
// maxDepth, beside the comment they answer. A reply whose parent is not
// among cs (held or deleted) is left out, since it would make no sense alone.
func Thread(cs []Comment, maxDepth int) []*Node {
	maxDepth = max(maxDepth, 1)
	type placed struct {
		node  *Node
		under *Node // the node whose Replies hold it; nil at the top
		depth int
	}
	var (
		roots []*Node
		seen  = make(map[int64]placed, len(cs))
	)
	for _, c := range cs {
		n := &Node{Comment: c}
		if c.ParentID == 0 {
			roots = append(roots, n)
			seen[c.ID] = placed{node: n}
			continue
		}
		parent, ok := seen[c.ParentID]
		if !ok {
			continue
		}
		p := placed{node: n, under: parent.node, depth: parent.depth + 1}
		if p.depth > maxDepth {
			// The parent is at maxDepth: show the reply beside it.
			p.under, p.depth = parent.under, maxDepth
		}
		p.under.Replies = append(p.under.Replies, n)
		seen[c.ID] = p
	}
	return roots
}

// Count returns how many comments the threads hold.
func Count(threads []*Node) int {
	n := 0
	for _, t := range threads {
		n += 1 + Count(t.Replies)
	}
	return n
}
